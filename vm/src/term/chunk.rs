//! One chunk of heap memory: words that never move while the chunk lives.
//!
//! A chunk is allocated without being zeroed: a heap hands out only words
//! below its top, and every builder writes the words it allocates before
//! anything reads them (a collection scans only allocated words). Zeroing
//! cost a pass over every fresh chunk for nothing.
//!
//! All access goes through the one raw pointer the chunk keeps, never a
//! reference to the whole chunk, so pointers into a chunk taken earlier
//! (the collector's scan, a builder's slot) stay valid while the heap
//! allocates more words in it.

use std::alloc::{self, Layout};
use std::ptr::NonNull;

/// `len` words of heap memory, owned.
pub struct Chunk {
    ptr: NonNull<u64>,
    len: usize,
}

// SAFETY: a chunk owns its memory as a `Box<[u64]>` would; the words are
// plain integers, and the heap that owns the chunk is what is shared or
// sent.
unsafe impl Send for Chunk {}
// SAFETY: as above; `&Chunk` gives out only its address and length.
unsafe impl Sync for Chunk {}

impl Chunk {
    /// A chunk of `len` words (at least one), not initialised.
    pub fn new(len: usize) -> Chunk {
        let len = len.max(1);
        let layout = Layout::array::<u64>(len).expect("heap chunk too large");
        // SAFETY: the layout has a non-zero size.
        let raw = unsafe { alloc::alloc(layout) } as *mut u64;
        let Some(ptr) = NonNull::new(raw) else {
            alloc::handle_alloc_error(layout)
        };
        Chunk { ptr, len }
    }

    /// A chunk of `len` words (at least one) in the literal region
    /// ([`super::literal`]), or of ordinary memory when the region has no
    /// room: a literal heap's chunk. Only a `LiteralHeap` owns one: it
    /// never drops its region chunks (they are not the allocator's).
    pub(super) fn literal(len: usize) -> Chunk {
        let len = len.max(1);
        match super::literal::alloc(len) {
            Some(ptr) => Chunk { ptr, len },
            None => Chunk::new(len),
        }
    }

    /// A chunk of `len` words of the same kind as `self` (literal or
    /// ordinary): the next chunk of a heap.
    pub(super) fn next_of(&self, len: usize) -> Chunk {
        if self.is_literal() {
            Chunk::literal(len)
        } else {
            Chunk::new(len)
        }
    }

    /// Whether the chunk is in the literal region.
    #[inline]
    pub fn is_literal(&self) -> bool {
        super::literal::contains(self.ptr.as_ptr())
    }

    /// Its size in words.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Chunks are never empty.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The address of its first word; words are read and written only
    /// through pointers derived from it.
    #[inline(always)]
    pub fn as_ptr(&self) -> *mut u64 {
        self.ptr.as_ptr()
    }
}

impl Drop for Chunk {
    fn drop(&mut self) {
        let layout = Layout::array::<u64>(self.len).expect("checked when allocated");
        // SAFETY: allocated in `Chunk::new` with this layout, freed once.
        unsafe { alloc::dealloc(self.ptr.as_ptr() as *mut u8, layout) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_keep_their_words() {
        let c = Chunk::new(0);
        assert_eq!(c.len(), 1);
        let c = Chunk::new(100);
        for i in 0..100 {
            // SAFETY: `i` is below the chunk's length.
            unsafe { *c.as_ptr().add(i) = i as u64 };
        }
        // SAFETY: as above, and every word was written.
        let sum: u64 = (0..100).map(|i| unsafe { *c.as_ptr().add(i) }).sum();
        assert_eq!(sum, 4950);
    }
}
