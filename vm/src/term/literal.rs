//! The literal region: one reserved range of address space that holds
//! every module's literal area and the `persistent_term` values, as BEAM's
//! literal super carrier (`erts_literal_area`, `ERTS_LITERAL_VIRTUAL_AREA_SIZE`).
//!
//! What it buys: a term is a literal when its address is in the range (one
//! subtraction and one comparison), so a message or a spawned process's
//! arguments share the literals they hold instead of copying them, as
//! BEAM's `size_object_litopt`/`copy_struct_litopt` do; the collector
//! already leaves them (they are in no process's from-space).
//!
//! Why sharing is safe: nothing in the region is ever freed. Loaded code
//! stays in the code table's slots for the VM's life (no purge frees it),
//! and `persistent_term` keeps replaced and erased values; a
//! [`LiteralHeap`] that is dropped (a module whose loading failed) leaks
//! its region chunks, which are never reused. So BEAM's purge-time copying of literals into the processes that
//! still reference them is not needed. Should the region be full, or not
//! reservable, literal chunks come from the ordinary allocator and their
//! terms are copied into messages as any other term.

use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use parking_lot::Mutex;

use super::boxed::{Header, Subtag};
use super::chunk::Chunk;
use super::copy::{self, Uncopyable};
use super::heap::FIRST_CHUNK_WORDS;
use super::{Heap, Term};

/// A heap in the literal region: a module's literal area or a
/// `persistent_term` value, whose terms messages and spawn arguments share.
/// Dropping it releases its binaries but leaks its region chunks, never
/// handed to the allocator (processes may still point into them).
pub struct LiteralHeap(ManuallyDrop<Heap>);

impl LiteralHeap {
    /// An empty literal heap.
    pub fn new() -> LiteralHeap {
        LiteralHeap::with_capacity(FIRST_CHUNK_WORDS)
    }

    /// An empty literal heap whose first chunk holds `words` words.
    pub fn with_capacity(words: usize) -> LiteralHeap {
        LiteralHeap(ManuallyDrop::new(Heap::with_chunk(Chunk::literal(words))))
    }
}

impl Default for LiteralHeap {
    fn default() -> Self {
        LiteralHeap::new()
    }
}

impl Deref for LiteralHeap {
    type Target = Heap;
    fn deref(&self) -> &Heap {
        &self.0
    }
}

impl DerefMut for LiteralHeap {
    fn deref_mut(&mut self) -> &mut Heap {
        &mut self.0
    }
}

impl Drop for LiteralHeap {
    fn drop(&mut self) {
        // SAFETY: taken once, here; the field is not used again.
        let heap = unsafe { ManuallyDrop::take(&mut self.0) };
        for chunk in heap.into_chunks() {
            if chunk.is_literal() {
                std::mem::forget(chunk);
            }
        }
    }
}

/// A term copied whole into a literal heap of its own (a
/// `persistent_term` value), as BEAM makes persistent terms literals.
pub struct Literal {
    /// The copy.
    pub term: Term,
    /// Where it lives.
    pub heap: LiteralHeap,
}

impl Literal {
    /// Copies `t` into a literal heap of exactly its size.
    pub fn copy(t: Term) -> Result<Literal, Uncopyable> {
        let words = copy::size_of(t)?;
        let mut heap = LiteralHeap::with_capacity(words);
        let term = copy::copy_onto(t, &mut heap)?;
        Ok(Literal { term, heap })
    }
}

/// Bytes of address space reserved (1 GiB, BEAM's default on 64-bit
/// systems); pages are committed only when touched.
const REGION_BYTES: usize = 1 << 30;

/// The region's first address (0 until reserved).
static BASE: AtomicUsize = AtomicUsize::new(0);
/// The region's length in bytes, stored after `BASE` (0 until reserved or
/// when the reservation failed).
static LEN: AtomicUsize = AtomicUsize::new(0);
/// Bytes of the region handed out; `None` once a reservation failed.
static NEXT: Mutex<Option<usize>> = Mutex::new(Some(0));

/// The empty tuple `{}` that `list_to_tuple/1`, `make_tuple/2,3` and
/// `binary_to_term` return, a literal of its own, as BEAM 25's global
/// literal (`ERTS_GLOBAL_LIT_EMPTY_TUPLE`): it takes no word of the
/// process's heap. (`delete_element/2` builds one on the heap, as BEAM's.)
pub fn empty_tuple() -> Term {
    static EMPTY: OnceLock<u64> = OnceLock::new();
    let raw = *EMPTY.get_or_init(|| {
        let p = alloc(1).unwrap_or_else(|| NonNull::from(Box::leak(Box::new(0u64))));
        // SAFETY: the word is ours, and never freed.
        unsafe { *p.as_ptr() = Header::new(Subtag::Tuple, 0).0 };
        Term::boxed_ptr(p.as_ptr()).raw()
    });
    Term::from_raw(raw)
}

/// Whether `p` points into the literal region.
#[inline(always)]
pub fn contains(p: *const u64) -> bool {
    let len = LEN.load(Ordering::Acquire);
    (p as usize).wrapping_sub(BASE.load(Ordering::Relaxed)) < len
}

/// `words` words of the region, or `None` when it is full or could not be
/// reserved.
pub(super) fn alloc(words: usize) -> Option<NonNull<u64>> {
    let bytes = words.checked_mul(8)?;
    let mut next = NEXT.lock();
    let used = (*next)?;
    if LEN.load(Ordering::Relaxed) == 0 {
        let Some(base) = reserve() else {
            *next = None;
            return None;
        };
        BASE.store(base, Ordering::Relaxed);
        LEN.store(REGION_BYTES, Ordering::Release);
    }
    if bytes > REGION_BYTES - used {
        return None;
    }
    *next = Some(used + bytes);
    NonNull::new((BASE.load(Ordering::Relaxed) + used) as *mut u64)
}

/// Reserves the region: readable, writable, committed on first touch.
#[cfg(unix)]
fn reserve() -> Option<usize> {
    // SAFETY: an anonymous private mapping at an address the kernel picks
    // touches no existing memory.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            REGION_BYTES,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        )
    };
    (p != libc::MAP_FAILED).then_some(p as usize)
}

#[cfg(not(unix))]
fn reserve() -> Option<usize> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_words_are_literal_and_others_are_not() {
        let p = alloc(10).expect("the region is reserved");
        assert!(contains(p.as_ptr()));
        // SAFETY: the ten words are ours.
        assert!(contains(unsafe { p.as_ptr().add(9) }));
        let boxed = Box::new(0u64);
        assert!(!contains(&*boxed));
        assert!(!contains(std::ptr::null()));
    }

    #[test]
    fn the_empty_tuple_is_one_literal() {
        let e = empty_tuple();
        assert_eq!(e.raw(), empty_tuple().raw());
        assert!(contains(e.ptr()));
        assert_eq!(e.as_tuple().map(|t| t.len()), Some(0));
    }

    #[test]
    fn a_dropped_literal_heap_leaves_its_terms_readable() {
        let mut h = Heap::new();
        let t = h.tuple(&[Term::small(1), Term::small(2)]);
        let lit = Literal::copy(t).unwrap();
        let copy = lit.term;
        assert!(contains(copy.ptr()));
        drop(lit);
        assert_eq!(copy.to_string(), "{1,2}");
    }
}
