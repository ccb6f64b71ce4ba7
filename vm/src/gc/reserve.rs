//! The chunks a process keeps from one collection to the next.
//!
//! A collection's from-space is garbage once its live objects are copied
//! out, but its memory is paged in. Freed, it would go back to the
//! allocator, which cannot serve a larger request from smaller freed
//! blocks: a heap that grows gets fresh memory at every collection, which
//! the kernel must find and zero (most of the system time of a run that
//! builds large results, and with transparent huge pages 2 MB at a time)
//! while the freed blocks stay resident in the allocator. A heap is made
//! of chunks, so it can use several smaller blocks where it needs one
//! large one: the process keeps its from-space's chunks as its heap's
//! reserve ([`crate::term::Heap::add_reserve`]), which the heap takes
//! before fresh memory when its current chunk is full, and which the next
//! collection's to-space is made of.

use crate::term::chunk::Chunk;
use crate::term::Heap;

/// Chunks smaller than this (words) are kept only as the one chunk of a
/// small heap's next to-space; the allocator reuses blocks of their size
/// well, and a heap of many small chunks costs the collector more.
const SMALL_CHUNK: usize = 32 * 1024;

/// The to-space of a collection into a young heap of `heap_size` words,
/// made of `reserve` (the chunks kept from the last collection): the
/// largest chunk first, with the others, and a fresh chunk for what they
/// lack, as the heap's reserve. A largest chunk that holds `heap_size`
/// words is all the to-space needs, as is a fresh chunk when the reserve
/// holds only small ones.
pub(super) fn to_space(mut reserve: Vec<Chunk>, heap_size: usize) -> Heap {
    reserve.sort_unstable_by_key(|c| std::cmp::Reverse(c.len()));
    let mut chunks = reserve.into_iter();
    let first = match chunks.next() {
        Some(c) if c.len() >= heap_size || c.len() >= SMALL_CHUNK => c,
        _ => return Heap::with_capacity(heap_size),
    };
    let mut have = first.len();
    let mut to = Heap::with_chunk(first);
    for c in chunks.filter(|c| c.len() >= SMALL_CHUNK) {
        have += c.len();
        to.add_reserve(c);
    }
    if have < heap_size {
        to.add_reserve(Chunk::new(heap_size - have));
    }
    to
}

/// Which of the chunks `freed` by a collection (from-space, and the
/// to-space's unused reserve) to keep for a young heap of `heap_size`
/// words: the largest, then others of at least [`SMALL_CHUNK`] words
/// while those kept hold less than `heap_size`; none over twice
/// `heap_size` (memory the heap no longer needs).
pub(super) fn kept(mut freed: Vec<Chunk>, heap_size: usize) -> Vec<Chunk> {
    freed.retain(|c| c.len() <= 2 * heap_size);
    freed.sort_unstable_by_key(|c| std::cmp::Reverse(c.len()));
    let mut have = 0;
    let mut kept = Vec::new();
    for c in freed {
        if have >= heap_size || (!kept.is_empty() && c.len() < SMALL_CHUNK) {
            break;
        }
        have += c.len();
        kept.push(c);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(chunks: &[Chunk]) -> Vec<usize> {
        chunks.iter().map(Chunk::len).collect()
    }

    fn chunks(sizes: &[usize]) -> Vec<Chunk> {
        sizes.iter().map(|&n| Chunk::new(n)).collect()
    }

    #[test]
    fn a_collection_keeps_about_one_heap_of_chunks() {
        let mb = 128 * 1024;
        // (freed, heap size, kept)
        let cases: [(&[usize], usize, &[usize]); 5] = [
            (&[233, 100], 376, &[233]),
            (&[233], 100_000, &[233]),
            (&[5 * mb, 2 * mb, mb, 1000], 7 * mb, &[5 * mb, 2 * mb]),
            (&[mb, 5 * mb, 2 * mb], 6 * mb, &[5 * mb, 2 * mb]),
            (&[40 * mb, 3 * mb], 6 * mb, &[3 * mb]),
        ];
        for (freed, heap_size, want) in cases {
            assert_eq!(sizes(&kept(chunks(freed), heap_size)), want);
        }
    }

    #[test]
    fn a_to_space_is_made_of_the_kept_chunks() {
        let mb = 128 * 1024;
        let to = to_space(chunks(&[2 * mb, 5 * mb]), 8 * mb);
        assert_eq!(to.capacity(), 5 * mb);
        assert_eq!(to.reserve_words(), 3 * mb);
        let to = to_space(chunks(&[233]), 376);
        assert_eq!((to.capacity(), to.reserve_words()), (376, 0));
        let to = to_space(chunks(&[610, 100]), 376);
        assert_eq!((to.capacity(), to.reserve_words()), (610, 0));
        let to = to_space(chunks(&[9 * mb, mb]), 8 * mb);
        assert_eq!((to.capacity(), to.reserve_words()), (9 * mb, mb));
    }
}
