//! The word counts BEAM's `erts_debug:flat_size/1` and `erts_debug:size/1`
//! give a term (OTP 25's `size_object`, and `erts_debug.erl`'s walk).
//! Enigma's layout (`docs/TERMS.md`) takes the same words as BEAM's for
//! most objects; it differs in these: the empty tuple is a global literal
//! on BEAM (no words; here a header); a map trie's root and inner nodes
//! keep their bitmap in a word of their own (on BEAM, in the header); a
//! local fun has two words more on BEAM, an external fun is five words
//! (here two), an off-heap binary six (here three), a local reference has
//! no count word (an alias, a "pid reference" on BEAM, has a word more
//! there, not counted here); a sub-binary counts
//! as BEAM copies it (its header only if not byte-aligned, then an off-heap
//! binary or a heap binary of just its bytes).

use std::collections::HashSet;

use super::boxed::{Header, Subtag};
use super::gc::term_words;
use super::{Term, TAG_BOXED, TAG_LIST};

/// The words of a local fun's object with no free variables on BEAM
/// (`ErlFunThing`: header, entry, off-heap link, arity and free-variable
/// count, creator), which `erts_debug:size/1` counts for every local fun.
const BEAM_FUN_WORDS: usize = 5;

/// An external fun on BEAM (counted whole each time it occurs, even by
/// `erts_debug:size/1`).
const BEAM_EXPORT_FUN_WORDS: usize = 5;

/// An off-heap binary's `ProcBin` on BEAM.
const BEAM_PROC_BIN_WORDS: usize = 6;

/// A sub-binary's `ErlSubBin` on BEAM.
const BEAM_SUB_BIN_WORDS: usize = 5;

/// An object met in a walk: its words as BEAM counts them and the terms it
/// holds.
struct Object {
    own: usize,
    children: Vec<Term>,
    /// Walked object by object, each counted once, by `erts_debug:size/1`
    /// (lists, tuples, maps, local funs); others are counted whole.
    container: bool,
}

impl Object {
    /// An object counted whole, its terms not walked.
    fn leaf(own: usize) -> Option<Object> {
        Some(Object {
            own,
            children: Vec::new(),
            container: false,
        })
    }
}

/// The words BEAM's copy of a sub-binary takes: `[bit size, bit offset,
/// original]` here.
fn sub_binary_words(bit_size: u64, bit_offset: u64, original: Term) -> usize {
    let bytes = (bit_size / 8) as usize;
    let extra = match bit_size % 8 + bit_offset % 8 {
        0 => 0,
        1..=8 => 1,
        _ => 2,
    };
    let header = if extra > 0 { BEAM_SUB_BIN_WORDS } else { 0 };
    let refc = original
        .header()
        .is_some_and(|h| h.subtag() == Subtag::RefcBin);
    header
        + if refc {
            BEAM_PROC_BIN_WORDS
        } else {
            2 + (bytes + extra).div_ceil(8)
        }
}

/// The object `t` points at; `None` for an immediate.
fn object(t: Term) -> Option<Object> {
    let p = match t.primary_tag() {
        TAG_LIST | TAG_BOXED => t.ptr(),
        _ => return None,
    };
    if t.primary_tag() == TAG_LIST {
        // SAFETY: a list term points at a cons cell: two term words.
        let children = unsafe { vec![Term::from_raw(*p), Term::from_raw(*p.add(1))] };
        return Some(Object {
            own: 2,
            children,
            container: true,
        });
    }
    // SAFETY: a boxed term points at a header and its `arity` words.
    let h = Header(unsafe { *p });
    let n = h.arity();
    // SAFETY: as above; the first word exists when `n > 0`.
    let first = (n > 0).then(|| unsafe { *p.add(1) });
    let children = term_words(h, first)
        // SAFETY: term_words's ranges are within the object's `n` words.
        .map(|i| Term::from_raw(unsafe { *p.add(1 + i) }))
        .collect();
    match h.subtag() {
        Subtag::RefcBin => return Object::leaf(BEAM_PROC_BIN_WORDS),
        Subtag::Export => return Object::leaf(BEAM_EXPORT_FUN_WORDS),
        // [count, ids packed two a word, (magic: the native object)]: BEAM
        // keeps no count word, and its magic refs are as small as plain ones.
        Subtag::Ref => {
            let ids = first.map_or(0, |w| w & 0xffff_ffff) as usize;
            return Object::leaf(1 + ids.div_ceil(2));
        }
        // SAFETY: a sub-binary has its three words.
        Subtag::SubBin if n == 3 => unsafe {
            let original = Term::from_raw(*p.add(3));
            return Object::leaf(sub_binary_words(*p.add(1), *p.add(2), original));
        },
        _ => {}
    }
    let (own, container) = match h.subtag() {
        Subtag::Tuple if n == 0 => (0, true),
        Subtag::Tuple => (1 + n, true),
        Subtag::Map if first.is_some_and(|size| size & 1 == 1) => (n, true),
        Subtag::Map => (1 + n, true),
        Subtag::MapNode => (n, true),
        // [&FunEntry, creator, free variables..]
        Subtag::Fun => (BEAM_FUN_WORDS + n.saturating_sub(2), true),
        _ => (1 + n, false),
    };
    Some(Object {
        own,
        children,
        container,
    })
}

/// `erts_debug:flat_size(T)`: the words of `t` with each shared subterm
/// counted every time it occurs.
pub fn flat_size(t: Term) -> usize {
    let mut words = 0;
    let mut todo = vec![t];
    while let Some(t) = todo.pop() {
        if let Some(o) = object(t) {
            words += o.own;
            todo.extend(o.children);
        }
    }
    words
}

/// `erts_debug:size(T)`: the words of `t` with shared lists, tuples, maps
/// and funs counted once (as `erts_debug.erl` walks them); any other
/// object counts its [`flat_size`] once.
pub fn shared_size(t: Term) -> usize {
    let mut seen = HashSet::new();
    let mut words = 0;
    let mut todo = vec![t];
    while let Some(t) = todo.pop() {
        let Some(o) = object(t) else { continue };
        if o.own == 0 && o.children.is_empty() {
            continue;
        }
        // BEAM's external funs are not objects of the process: never seen.
        let export = t.header().is_some_and(|h| h.subtag() == Subtag::Export);
        if !export && !seen.insert(t.ptr() as usize) {
            continue;
        }
        if o.container {
            words += o.own;
            todo.extend(o.children);
        } else {
            words += flat_size(t);
        }
    }
    words
}
